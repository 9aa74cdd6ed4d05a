// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt
frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Aftersales KPI by Month"] = {
	method: "aftersales_module.aftersales_module.dashboard_chart_source.aftersales_kpi_by_month.aftersales_kpi_by_month.get",
	filters: [
		{
			fieldname: "measure",
			label: __("Measure"),
			fieldtype: "Data",
			reqd: 1,
		},
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
			reqd: 1,
		},
	],
};
