# needs-fcaps
file get nc ping plain
