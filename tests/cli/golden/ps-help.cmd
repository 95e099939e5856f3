ps --help
