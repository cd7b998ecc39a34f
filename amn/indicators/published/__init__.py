"""The figures the directorate published, as fixtures (`dgsn_<year>_release.toml`), and the
targets a generated demo year must hold to reproduce them (amn.indicators.published.release).
"""
