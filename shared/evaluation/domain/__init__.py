"""The evaluation's pure parts: figures from pseudonymised lines, and the suppression of small cells."""
