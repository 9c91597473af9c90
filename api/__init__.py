"""The read API for Power BI and other tools (/api/v1/): what a person may read in the browser,
as JSON, with a personal access token."""
