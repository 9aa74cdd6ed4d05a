"""Existing Return Request workflows: each state the shipped workflow had names its stage."""

from aftersales_module.setup.custom_fields import make_custom_fields
from aftersales_module.setup.workflow import set_missing_stages


def execute():
	make_custom_fields()
	set_missing_stages()
