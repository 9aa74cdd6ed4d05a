"""Customers' portal logins for the portal tests, linked as ERPNext links them: a row in the customer's
Portal Users table, or a Contact of the customer that names the user. Not a test module itself."""

import frappe


def make_website_user(email: str) -> str:
	"""An enabled website user with ERPNext's Customer role and no desk access."""
	if frappe.db.exists("User", email):
		user = frappe.get_doc("User", email)
	else:
		user = frappe.new_doc("User")
		user.update({"email": email, "first_name": email.split("@")[0], "send_welcome_email": 0})
	user.enabled = 1
	user.user_type = "Website User"
	user.set("roles", [{"role": "Customer"}])
	user.flags.ignore_permissions = True
	user.flags.no_welcome_mail = True
	user.save()
	return email


def make_portal_user(email: str, customer: str) -> str:
	"""A website user in the customer's Portal Users table."""
	if frappe.db.exists("Portal User", {"parenttype": "Customer", "parent": customer, "user": email}):
		return email
	make_website_user(email)
	doc = frappe.get_doc("Customer", customer)
	if not any(row.user == email for row in doc.get("portal_users") or []):
		doc.append("portal_users", {"user": email})
		doc.flags.ignore_permissions = True
		doc.save()
	return email


def make_contact_user(email: str, customer: str) -> str:
	"""A website user whose Contact links the customer."""
	make_website_user(email)
	contact = frappe.db.get_value("Contact", {"user": email}, "name")
	doc = frappe.get_doc("Contact", contact) if contact else frappe.new_doc("Contact")
	if not contact:
		doc.update({"first_name": email.split("@")[0], "user": email})
		doc.append("email_ids", {"email_id": email, "is_primary": 1})
	if not any(link.link_doctype == "Customer" and link.link_name == customer for link in doc.links):
		doc.append("links", {"link_doctype": "Customer", "link_name": customer})
	doc.flags.ignore_permissions = True
	doc.save()
	return email
