ps --bogus
