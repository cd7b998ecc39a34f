# Moroccan usage in Arabic and French texts (the DGSN release writes 3.685.964).
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
