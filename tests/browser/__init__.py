"""Real-browser tests: Debian's Chromium, driven by Playwright, over a live server."""
