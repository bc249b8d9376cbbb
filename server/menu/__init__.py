"""The service menu, prices, an owner's dated options and pauses, one-off and quoted work, statements."""
