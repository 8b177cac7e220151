from tests.console_helpers import log_in, PROVINCE
def test_x(demo, runner, client):
    assert runner.invoke(args=["demo-history","--days","40"]).exit_code == 0
    log_in(client, PROVINCE)
    r = client.get("/console/map")
    html = r.get_data(as_text=True)
    print(r.status_code)
    open("/tmp/d24/map.html","w").write(html)
    r = client.get("/console/map?district=5101&status=accepted")
    assert r.status_code == 200
