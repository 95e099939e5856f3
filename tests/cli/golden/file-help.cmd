file --help
