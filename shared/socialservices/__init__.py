"""The canton's register of social services (Sozialdienste): who pays for social-assistance participants."""
