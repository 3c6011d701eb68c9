"""One module per page; each has `page(...)` registered by `ui.main.build()`."""
