import pathlib
import sys

# The suite tests core/ without a Frappe site: make the package importable from a plain checkout.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
