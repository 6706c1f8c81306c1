//! The Kazan figures from a fresh `kazan` seed, as the public city endpoint reports them.

mod common;

use common::{Persona, TestResult, TestServer};
use domkom_server::seed::Seed;

#[tokio::test]
async fn kazan_seed_reproduces_the_city_figures() -> TestResult {
    let started = std::time::Instant::now();
    let server = TestServer::start_with(Seed::Kazan, |_| {}).await?;
    eprintln!("kazan seed and start: {:.1} s", started.elapsed().as_secs_f64());
    let stats = server.anonymous().get("/v1/stats/city").await?;
    assert_eq!(stats.status, 200, "public, no sign-in");
    let s = &stats.body;
    assert_eq!(s["houses"], 6014);
    assert_eq!(s["houses_by_management"]["uk"], 5086);
    assert_eq!(s["houses_by_management"]["tszh_zhsk"], 842);
    assert_eq!(s["houses_by_management"]["direct"], 86);
    assert_eq!(s["management_orgs"]["uk"], 137);
    assert_eq!(s["management_orgs"]["tszh_zhsk"], 740);
    assert_eq!(s["official_chats"], 5418);
    assert_eq!(s["chats_with_admin"], 4800);
    assert_eq!(s["chats_admin_pending"], 618);
    let share = s["members_joined_share"].as_f64().unwrap();
    assert!(share > 0.28 && share < 0.5, "more than 28% joined: {share}");

    // The figures come from the data: a new member moves the share.
    let c = server.api(Persona::NotJoined).await?;
    let community = c.me().await?["offers"][0]["community_id"].as_i64().unwrap();
    assert_eq!(c.post(&format!("/v1/communities/{community}/join"), &serde_json::json!({})).await?.status, 200);
    let after = server.anonymous().get("/v1/stats/city").await?;
    assert!(after.body["members_joined_share"].as_f64().unwrap() > share);
    Ok(())
}
