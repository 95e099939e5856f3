decode --json 4251b
