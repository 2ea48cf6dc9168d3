"""The built-in demo company: a deterministic generator and an in-process fake Personio serving it."""

from dashboard.demo.fake import FakePersonio, Fault, RequestRecord
from dashboard.demo.generator import DemoCompany, generate_company

__all__ = ["DemoCompany", "FakePersonio", "Fault", "RequestRecord", "generate_company"]
