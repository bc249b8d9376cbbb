"""A newcomer typing the bare address: `/` explains and links on, `/app` reaches the app."""


def test_the_root_is_a_short_landing_page_linking_the_app_and_the_office(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'href="/app/"' in response.text and 'href="/office/"' in response.text
    assert "空き家" in response.text


def test_the_app_without_its_slash_redirects_to_the_app(client):
    response = client.get("/app", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == "/app/"


def test_the_app_with_its_slash_is_served_not_redirected(client):
    response = client.get("/app/", follow_redirects=False)
    assert response.status_code == 200
    assert "空き家巡回" in response.text
