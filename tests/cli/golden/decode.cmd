decode 0 400 5c0 0x4251b 000001ffffffffff ffffffffffffffff
