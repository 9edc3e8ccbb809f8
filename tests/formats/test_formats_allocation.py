"""Table allocation: deterministic, explained, and as even as the numbers allow."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from formats.services import Person, plan_allocation

ROLES = ["resident", "professional", "administrator"]
AGES = ["", "15-24", "25-44", "45-64", "65+"]
WIJKEN = ["", "Overvecht", "Zuilen", "Oost", "Vleuten-De Meern"]

people_lists = st.lists(
    st.tuples(st.sampled_from(ROLES), st.sampled_from(AGES), st.sampled_from(WIJKEN)), max_size=60,
).map(lambda rows: [Person(key=i, name=f"P{i:02d}", role=r, age_band=a, wijk=w) for i, (r, a, w) in enumerate(rows)])


def spread(seats, tables, attribute):
    """For each category: (max - min) of its count over the tables."""
    per_table = {table: Counter() for table in tables}
    for seat in seats:
        per_table[seat.table][getattr(seat.person, attribute)] += 1
    categories = {getattr(seat.person, attribute) for seat in seats}
    return {c: max(t[c] for t in per_table.values()) - min(t[c] for t in per_table.values()) for c in categories}


@settings(max_examples=150, deadline=None)
@given(people=people_lists, table_count=st.integers(min_value=1, max_value=8))
def test_sizes_and_roles_differ_by_at_most_one(people, table_count):
    tables = [f"Tafel {n}" for n in range(1, table_count + 1)]
    seats = plan_allocation(people, tables)
    assert sorted(s.person.key for s in seats) == sorted(p.key for p in people)
    sizes = Counter(seat.table for seat in seats)
    assert max(sizes[t] for t in tables) - min(sizes[t] for t in tables) <= 1
    assert all(difference <= 1 for difference in spread(seats, tables, "role").values())
    assert all(seat.reason for seat in seats)


@settings(max_examples=150, deadline=None)
@given(people=people_lists, table_count=st.integers(min_value=1, max_value=8))
def test_with_one_role_age_bands_differ_by_at_most_one(people, table_count):
    # Where the numbers allow: with everyone in one role, age is the first thing to spread.
    people = [Person(key=p.key, name=p.name, role="resident", age_band=p.age_band, wijk=p.wijk) for p in people]
    tables = [f"Tafel {n}" for n in range(1, table_count + 1)]
    seats = plan_allocation(people, tables)
    assert all(difference <= 1 for difference in spread(seats, tables, "age_band").values())


@settings(max_examples=100, deadline=None)
@given(people=people_lists, table_count=st.integers(min_value=1, max_value=8))
def test_with_one_role_and_age_wijken_differ_by_at_most_one(people, table_count):
    people = [Person(key=p.key, name=p.name, role="resident", age_band="25-44", wijk=p.wijk) for p in people]
    tables = [f"Tafel {n}" for n in range(1, table_count + 1)]
    seats = plan_allocation(people, tables)
    assert all(difference <= 1 for difference in spread(seats, tables, "wijk").values())


@settings(max_examples=50, deadline=None)
@given(people=people_lists, table_count=st.integers(min_value=1, max_value=6))
def test_deterministic_whatever_the_input_order(people, table_count):
    tables = [f"Tafel {n}" for n in range(1, table_count + 1)]
    first = {s.person.key: (s.table, s.reason) for s in plan_allocation(people, tables)}
    again = {s.person.key: (s.table, s.reason) for s in plan_allocation(list(reversed(people)), tables)}
    assert first == again


def test_mixes_ages_across_roles_and_says_why():
    # Two tables; residents and professionals, each one young and one old. Dealing roles blindly
    # would put both young people at one table; the allocation mixes them.
    people = [
        Person(1, "Anna", "resident", "15-24", "Overvecht"), Person(2, "Bram", "resident", "65+", "Zuilen"),
        Person(3, "Cem", "professional", "15-24", "Oost"), Person(4, "Dirk", "professional", "65+", "Oost"),
    ]
    seats = {s.person.name: s for s in plan_allocation(people, ["Tafel 1", "Tafel 2"])}
    assert seats["Anna"].table != seats["Bram"].table
    assert seats["Cem"].table != seats["Dirk"].table
    assert seats["Anna"].table != seats["Cem"].table  # the two young people sit apart
    assert "Tafel" in seats["Cem"].reason and "15" in seats["Cem"].reason


def test_no_tables_seats_nobody():
    assert plan_allocation([Person(1, "Anna", "resident")], []) == []
