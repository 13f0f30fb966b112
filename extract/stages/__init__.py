"""The reading stages, in the order pipeline.py chains them: normalize, attribution, segment (with text
tables and tokens), numerals, rules, headline. Quantities, the public number finder, is extract/quantities.py."""
