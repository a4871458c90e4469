"""What a clinician looks at: the self-contained HTML report (and PDF where a converter exists)."""
