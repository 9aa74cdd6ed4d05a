from aftersales_module.controllers.stock_entries import create_stock_entry_types
from aftersales_module.setup.company import setup_all_companies
from aftersales_module.setup.custom_fields import delete_custom_fields, make_custom_fields
from aftersales_module.setup.default_policies import install_default_policies
from aftersales_module.setup.desk import install_repair_kanban
from aftersales_module.setup.notifications import install_emergency_transfer_notification
from aftersales_module.setup.roles import create_roles
from aftersales_module.setup.workflow import install_return_request_workflow


def after_install() -> None:
	setup_defaults()


def after_migrate() -> None:
	setup_defaults()


def after_setup_wizard(args=None) -> None:
	setup_defaults()


def before_uninstall() -> None:
	delete_custom_fields()


def setup_defaults() -> None:
	make_custom_fields()
	create_roles()
	install_return_request_workflow()
	create_stock_entry_types()
	install_emergency_transfer_notification()
	install_repair_kanban()
	install_default_policies()
	setup_all_companies()
