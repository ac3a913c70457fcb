"""Metamorphic import tests (issue 19): generated variants of the clean demonstration files give the
same figures, or are refused (DataError), or are read with a report that names what was set aside —
never different figures said to be fine. The oracle is :func:`tests.metamorphic.oracle.assert_same_or_said`."""
