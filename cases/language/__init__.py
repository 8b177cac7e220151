"""All reading and writing of Thai (and English) text: SMS templates and their catalogs, the style guide's rules, segment lengths, and reading a citizen's words for the type and the place."""
