"""English dates with a 24-hour clock.

Django's "9:29 p.m." ends in a full stop, which doubles the full stop of any sentence that ends with
a time ("Finished on … 9:29 p.m..").
"""

DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
