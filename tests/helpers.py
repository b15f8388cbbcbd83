"""Small assertions shared by several test modules."""


def result_ids(response) -> set:
    """The ids of one page of a paginated API list, after checking it answered 200."""
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}
