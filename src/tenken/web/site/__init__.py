"""The site's pages: login, home, the answer form and the dashboard (glue over the domain)."""
