# needs-fcaps
file get -v nc ping plain .
