policy nope
