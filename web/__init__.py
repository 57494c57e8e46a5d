"""The dashboard: FastAPI pages rendered on the server with Jinja2, and the JSON API."""
