ps -x
