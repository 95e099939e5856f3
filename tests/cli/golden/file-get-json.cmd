# needs-fcaps
file get --json nc
