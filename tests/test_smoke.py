def test_login_page_renders(client):
    response = client.get("/inloggen")
    assert response.status_code == 200
    assert "Inloggen" in response.get_data(as_text=True)
