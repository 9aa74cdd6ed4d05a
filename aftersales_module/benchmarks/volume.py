"""A real company's volume, written straight into the tables with INSERT ... SELECT over MariaDB's
sequence tables (seq_1_to_N): invoice lines, return requests with their lines and open inquiry
tickets, spread over customers, items, states and two years of dates. These rows stand for history
and carry no ledger entries; every row's name starts with BENCH- so a run finds and replaces them."""

import frappe

from aftersales_module.benchmarks.site_data import COMPANY

PREFIX = "BENCH-"
CUSTOMERS = 5000
ITEMS = 500
DAYS = 730
LINES_PER_INVOICE = 4
# states of history by share: most cases are closed
CASE_STATES = (("Closed", "Closed", 1),) * 10 + (
	("Refunded", "Refunded", 1),
	("Refunded", "Refunded", 1),
	("Draft", "Draft", 0),
	("Customer Service Review", "Review", 1),
	("Quality Inspection", "Inspection", 1),
	("Sales Approval", "Sales Approval", 1),
	("Approved", "Approved", 1),
	("Rejected", "Rejected", 1),
	("Goods Received", "Goods Received", 1),
	("Cancelled", "Cancelled", 2),
)
REQUEST_TYPES = ("Return and Refund", "Refund Only", "Exchange Same Item", "Repair", "Return and Refund")
REASONS = ("Quality Problem", "Personal Reason (7-day No Reason)", "Not as Described", "Damaged in Transit")
TICKET_STATES = ("Open", "Replied", "Waiting on Customer")


def sql_choice(values: tuple, index_sql: str) -> str:
	"""ELT(index + 1, ...): one of the values, picked by an SQL expression."""
	quoted = ", ".join(frappe.db.escape(value) for value in values)
	return f"elt(({index_sql}) % {len(values)} + 1, {quoted})"


def bench_name(kind: str, number_sql: str, width: int) -> str:
	return f"concat('{PREFIX}{kind}-', lpad({number_sql}, {width}, '0'))"


def numbers(count: int) -> str:
	"""1..count as a signed column `seq` (the sequence table's is unsigned)."""
	return f"(select cast(seq as signed) as seq from seq_1_to_{count}) numbers"


def count_rows(doctype: str, kind: str) -> int:
	return frappe.db.sql(f"select count(*) from `tab{doctype}` where name like %s", f"{PREFIX}{kind}-%")[0][0]


def remove_rows(doctype: str, kind: str) -> None:
	frappe.db.sql(f"delete from `tab{doctype}` where name like %s", f"{PREFIX}{kind}-%")


# Invoice lines --------------------------------------------------------------------------------


def invoice_lines_present() -> int:
	return count_rows("Sales Invoice Item", "SII")


def remove_invoice_lines() -> None:
	remove_rows("Sales Invoice Item", "SII")
	remove_rows("Sales Invoice", "SINV")
	frappe.db.commit()  # nosemgrep: bulk history is committed as it is written


def add_invoice_lines(lines: int) -> None:
	"""`lines` invoice lines on lines/4 submitted invoices; every tenth invoice is a credit note
	returning the lines of the invoice five before it, as ERPNext links them."""
	invoices = lines // LINES_PER_INVOICE
	invoice = bench_name("SINV", "seq", 7)
	frappe.db.sql(
		f"""insert into `tabSales Invoice` (name, creation, modified, modified_by, owner, docstatus,
			company, customer, customer_name, posting_date, due_date, currency, is_return,
			return_against, status, grand_total, base_grand_total)
		select {invoice}, timestamp(curdate() - interval (seq % {DAYS}) day, '10:00'), now(),
			'Administrator', 'Administrator', 1, {frappe.db.escape(COMPANY)}, {bench_name("CUST", f"seq % {CUSTOMERS}", 5)},
			{bench_name("CUST", f"seq % {CUSTOMERS}", 5)}, curdate() - interval (seq % {DAYS}) day,
			curdate() - interval (seq % {DAYS}) day, 'USD', seq % 10 = 0,
			if(seq % 10 = 0, {bench_name("SINV", "seq - 5", 7)}, null),
			if(seq % 10 = 0, 'Return', 'Paid'), 1000, 1000
		from {numbers(invoices)}"""
	)
	# line s sits on invoice (s - 1) div 4 + 1 at position (s - 1) mod 4
	parent = "((seq - 1) div 4 + 1)"
	frappe.db.sql(
		f"""insert into `tabSales Invoice Item` (name, creation, modified, modified_by, owner,
			docstatus, parent, parenttype, parentfield, idx, item_code, item_name, qty, stock_qty,
			rate, amount, base_amount, uom, conversion_factor, sales_invoice_item)
		select {bench_name("SII", "seq", 8)}, timestamp(curdate() - interval ({parent} % {DAYS}) day, '10:00'),
			now(), 'Administrator', 'Administrator', 1, {bench_name("SINV", parent, 7)},
			'Sales Invoice', 'items', (seq - 1) % 4 + 1, {bench_name("ITEM", f"seq * 7 % {ITEMS}", 4)},
			{bench_name("ITEM", f"seq * 7 % {ITEMS}", 4)},
			if({parent} % 10 = 0, -1, 1) * (seq % 3 + 1), if({parent} % 10 = 0, -1, 1) * (seq % 3 + 1),
			250, 250 * (seq % 3 + 1), 250 * (seq % 3 + 1), 'Nos', 1,
			if({parent} % 10 = 0, {bench_name("SII", "seq - 20", 8)}, null)
		from {numbers(invoices * LINES_PER_INVOICE)}"""
	)
	frappe.db.commit()  # nosemgrep: bulk history is committed as it is written


# Return requests ------------------------------------------------------------------------------


def cases_present() -> int:
	return count_rows("Return Request", "RR")


def add_cases(cases: int, invoices: int) -> None:
	remove_rows("Return Request Item", "RRI")
	remove_rows("Return Request", "RR")
	state = "seq % 20"
	frappe.db.sql(
		f"""insert into `tabReturn Request` (name, creation, modified, modified_by, owner, docstatus,
			company, customer, customer_name, request_date, channel, status, stage, request_type,
			reason_category, sales_invoice, currency, goods_amount, refund_amount, eligible)
		select {bench_name("RR", "seq", 7)},
			timestamp(curdate() - interval (seq % {DAYS}) day, sec_to_time(seq * 37 % 86400)), now(),
			'Administrator', 'Administrator',
			{sql_choice(tuple(str(s[2]) for s in CASE_STATES), state)}, {frappe.db.escape(COMPANY)},
			{bench_name("CUST", f"seq * 7 % {CUSTOMERS}", 5)}, {bench_name("CUST", f"seq * 7 % {CUSTOMERS}", 5)},
			curdate() - interval (seq % {DAYS}) day,
			{sql_choice(("Online Platform", "Hotline", "Online Chat", "Store Counter"), "seq")},
			{sql_choice(tuple(s[0] for s in CASE_STATES), state)},
			{sql_choice(tuple(s[1] for s in CASE_STATES), state)},
			{sql_choice(REQUEST_TYPES, "seq div 3")}, {sql_choice(REASONS, "seq div 7")},
			{bench_name("SINV", f"seq % {invoices} + 1", 7)}, 'USD', 500, 500, 1
		from {numbers(cases)}"""
	)
	# one line per case, a second on every other case; a third are serialised units (15-digit IMEIs),
	# a third come from a batch
	for position, condition in ((1, "1 = 1"), (2, "seq % 2 = 1")):
		frappe.db.sql(
			f"""insert into `tabReturn Request Item` (name, creation, modified, modified_by, owner,
				docstatus, parent, parenttype, parentfield, idx, item_code, item_name, qty, rate, amount,
				sales_invoice, sales_invoice_item, serial_no, batch_no, uom)
			select concat({bench_name("RRI", "seq", 7)}, '-{position}'),
				timestamp(curdate() - interval (seq % {DAYS}) day, sec_to_time(seq * 37 % 86400)), now(),
				'Administrator', 'Administrator',
				{sql_choice(tuple(str(s[2]) for s in CASE_STATES), state)}, {bench_name("RR", "seq", 7)},
				'Return Request', 'items', {position},
				{bench_name("ITEM", f"(seq * 13 + {position}) % {ITEMS}", 4)},
				{bench_name("ITEM", f"(seq * 13 + {position}) % {ITEMS}", 4)}, 1, 250, 250,
				{bench_name("SINV", f"seq % {invoices} + 1", 7)},
				{bench_name("SII", f"(seq % {invoices}) * 4 + {position}", 8)},
				if(seq % 3 = 0, concat('35', lpad(seq * 2 + {position}, 13, '0')), null),
				if(seq % 3 = 1, {bench_name("BATCH", "seq % 2000", 5)}, null), 'Nos'
			from {numbers(cases)} where {condition}"""
		)
	frappe.db.commit()  # nosemgrep: bulk history is committed as it is written


# Inquiry tickets ------------------------------------------------------------------------------


def tickets_present() -> int:
	return count_rows("Inquiry Ticket", "IT")


def add_tickets(tickets: int) -> None:
	"""Open tickets as a working desk has them: a third still unanswered, nearly all opened in the
	last 25 minutes (one in fifty hours ago, past its deadline); a third answered and a third waiting
	on the customer, opened over the last three days and answered within 20 minutes. 30 minutes to
	answer, three days for the result."""
	remove_rows("Inquiry Ticket", "IT")
	status = sql_choice(TICKET_STATES, "seq")
	opened = (
		f"if({status} = 'Open' and seq % 50 <> 0, now() - interval (seq % 25) minute,"
		" now() - interval (seq * 7 % 4320) minute)"
	)
	frappe.db.sql(
		f"""insert into `tabInquiry Ticket` (name, creation, modified, modified_by, owner, docstatus,
			company, customer, customer_name, channel, status, opened_on, inquiry_reason,
			response_minutes, result_minutes, paused_minutes, first_responded_on, paused_since)
		select {bench_name("IT", "seq", 6)}, {opened}, now(), 'Administrator', 'Administrator', 0,
			{frappe.db.escape(COMPANY)}, {bench_name("CUST", f"seq * 11 % {CUSTOMERS}", 5)},
			{bench_name("CUST", f"seq * 11 % {CUSTOMERS}", 5)}, 'Hotline', {status}, {opened},
			'Where Is My Order', 30, 4320, 0,
			if({status} = 'Open', null, {opened} + interval 20 minute),
			if({status} = 'Waiting on Customer', {opened} + interval 60 minute, null)
		from {numbers(tickets)}"""
	)
	frappe.db.commit()  # nosemgrep: bulk history is committed as it is written


def clear_service_levels() -> None:
	"""The bulk tickets as before their first scheduled check."""
	frappe.db.sql(
		"""update `tabInquiry Ticket` set response_by = null, response_status = null, result_by = null,
		result_status = null, sla_status = null where name like %s""",
		f"{PREFIX}IT-%",
	)
	frappe.db.commit()  # nosemgrep: the scheduler reads committed tickets


# Serial numbers, repair orders and claims -----------------------------------------------------


def serials_present() -> int:
	return frappe.db.sql(
		"select count(*) from `tabSerial No` where name like '35%%' and company = %s", COMPANY
	)[0][0]


def add_serials(cases: int) -> None:
	"""The serialised units of the bulk case lines, as ERPNext knows them (a Serial No each)."""
	frappe.db.sql(
		f"""insert ignore into `tabSerial No` (name, creation, modified, modified_by, owner, docstatus,
			serial_no, item_code, item_name, company, status)
		select serial_no, now(), now(), 'Administrator', 'Administrator', 0, serial_no, item_code,
			item_code, {frappe.db.escape(COMPANY)}, 'Delivered'
		from `tabReturn Request Item` where name like '{PREFIX}RRI-%%' and serial_no like '35%%'"""
	)
	frappe.db.commit()  # nosemgrep: bulk history is committed as it is written


def repair_orders_present() -> int:
	return count_rows("Repair Order", "RO")


def add_repair_orders(orders: int) -> None:
	"""Repair orders over two years at 40 repair points, a third still open."""
	remove_rows("Repair Order", "RO")
	status = sql_choice(("Completed", "Completed", "Open", "In Repair", "Completed", "Unrepairable"), "seq")
	frappe.db.sql(
		f"""insert into `tabRepair Order` (name, creation, modified, modified_by, owner, docstatus,
			company, source, customer, customer_name, repair_point, status, opened_on, item_code,
			item_name, serial_no, warranty_status)
		select {bench_name("RO", "seq", 6)},
			timestamp(curdate() - interval (seq % {DAYS}) day, sec_to_time(seq * 53 % 86400)), now(),
			'Administrator', 'Administrator', if({status} in ('Open', 'In Repair'), 0, 1),
			{frappe.db.escape(COMPANY)}, 'Walk-in', {bench_name("CUST", f"seq * 13 % {CUSTOMERS}", 5)},
			{bench_name("CUST", f"seq * 13 % {CUSTOMERS}", 5)}, {bench_name("RP", "seq % 40", 3)},
			{status}, timestamp(curdate() - interval (seq % {DAYS}) day, '09:00'),
			{bench_name("ITEM", f"seq * 3 % {ITEMS}", 4)}, {bench_name("ITEM", f"seq * 3 % {ITEMS}", 4)},
			concat('86', lpad(seq, 13, '0')), 'In Warranty'
		from {numbers(orders)}"""
	)
	frappe.db.commit()  # nosemgrep: bulk history is committed as it is written


def claims_present() -> int:
	return count_rows("Compensation Claim", "CC")


def add_claims(claims: int) -> None:
	remove_rows("Compensation Claim", "CC")
	status = sql_choice(("Approved", "Approved", "In Review", "Draft", "Ready to Approve", "Disputed"), "seq")
	frappe.db.sql(
		f"""insert into `tabCompensation Claim` (name, creation, modified, modified_by, owner, docstatus,
			company, claim_type, customer, customer_name, posting_date, status, currency)
		select {bench_name("CC", "seq", 6)},
			timestamp(curdate() - interval (seq % {DAYS}) day, sec_to_time(seq * 29 % 86400)), now(),
			'Administrator', 'Administrator', if({status} = 'Approved', 1, 0), {frappe.db.escape(COMPANY)},
			{sql_choice(("Lost", "Damaged", "Delayed", "Wrong Shipment", "Quality"), "seq")},
			{bench_name("CUST", f"seq * 17 % {CUSTOMERS}", 5)}, {bench_name("CUST", f"seq * 17 % {CUSTOMERS}", 5)},
			curdate() - interval (seq % {DAYS}) day, {status}, 'USD'
		from {numbers(claims)}"""
	)
	frappe.db.commit()  # nosemgrep: bulk history is committed as it is written
