"""/metrics (Prometheus) exists only when DANGJIAN_METRICS=true, and only for the hosts in
DANGJIAN_METRICS_ALLOWED_IPS."""


def test_it_hides_metrics_unless_enabled(client, settings, db):
    settings.DANGJIAN_METRICS = False
    assert client.get("/metrics").status_code == 404


def test_it_serves_metrics_to_an_allowed_host_only(client, settings, db):
    settings.DANGJIAN_METRICS = True
    settings.DANGJIAN_METRICS_ALLOWED_IPS = ["127.0.0.1"]
    response = client.get("/metrics")
    assert response.status_code == 200
    assert b"python_info" in response.content
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.9").status_code == 404
