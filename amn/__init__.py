"""Amn (أمن): information system for a national police directorate."""
