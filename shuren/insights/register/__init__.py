"""The case register (台账): a place's matters of a period as an Excel workbook (rows.py, book.py,
export.py), built in the request or, when large, by a background task (actions.py, tasks.py)."""
