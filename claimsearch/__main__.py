"""`python -m claimsearch …` runs the command-line tool."""
from .cli import app

if __name__ == "__main__":  # Dask and process pools re-import this module in their workers
    app(prog_name="claimsearch")
