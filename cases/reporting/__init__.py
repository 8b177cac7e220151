"""What the province and the public see of cases: statistics per agency, type and district, and the open data behind Open311."""
