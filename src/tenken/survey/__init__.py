"""The fact-finding survey (実態調査): questionnaires as data, the rule engine, sheets, reports."""
