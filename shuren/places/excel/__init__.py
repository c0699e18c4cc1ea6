"""Excel exchange of the place tree: the template, the all-or-nothing import and the export."""
