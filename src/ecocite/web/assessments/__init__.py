"""Assessment runs: queued, run in the background, frozen; result pages and reports."""
