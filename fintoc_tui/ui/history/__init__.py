"""History: every transfer, paged, searched, filtered, exported; one transfer's detail."""
