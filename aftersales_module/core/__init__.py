"""Framework-free after-sales rules. Nothing in this package may import frappe."""
