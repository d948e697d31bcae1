//! The alternatives page in the browser, at a desktop width and at 390 px:
//! from a draft's question, "Alternatives" lists other wordings, and "Use
//! this" puts the chosen one in the question's place. A flow of the job-spec
//! walk in `browser.rs` (it needs the draft that walk opens).

use fantoccini::{Client, Locator};

use crate::common::browser::{click_to_load, ensure, find, texts, wait_for, Context, Outcome};
use crate::common::TestApp;

/// The texts of a round's items on the spec page.
async fn round_texts(client: &Client, round: u32) -> Result<Vec<String>, String> {
    texts(
        client,
        &format!("ol.round{round} > li.round-item p.item-text"),
    )
    .await
}

/// Whether the page is wider than the window (it scrolls sideways).
async fn scrolls_sideways(client: &Client) -> Result<bool, String> {
    let wider = client
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth + 1;",
            vec![],
        )
        .await
        .context("measure the page width")?;
    Ok(wider.as_bool().unwrap_or(true))
}

/// Chooses the second alternative of round `round`'s item at `position`
/// (1-based) and checks it took that place and nothing else moved.
async fn choose_an_alternative(client: &Client, round: u32, position: usize) -> Outcome {
    let before = round_texts(client, round).await?;
    let link = find(
        client,
        &format!("ol.round{round} > li.round-item:nth-child({position}) a.item-alternatives"),
    )
    .await?;
    click_to_load(
        client,
        &link,
        "open the alternatives",
        "ol.alternatives, p.empty",
    )
    .await?;
    ensure!(
        !scrolls_sideways(client).await?,
        "the alternatives page scrolls sideways"
    );
    let offered = texts(client, "ol.alternatives > li.alternative p.item-text").await?;
    ensure!(
        offered.len() == 3,
        "the alternatives page offers {} wordings: {offered:?}",
        offered.len()
    );
    ensure!(
        offered.iter().all(|text| !before.contains(text)),
        "an alternative is already in the round: {offered:?} vs {before:?}"
    );
    let buttons = client
        .find_all(Locator::Css("ol.alternatives > li.alternative button"))
        .await
        .context("the Use this buttons")?;
    let button = buttons.get(1).ok_or("no second Use this button")?;
    click_to_load(
        client,
        button,
        "use the second alternative",
        "ol.round-items",
    )
    .await?;
    let after = round_texts(client, round).await?;
    ensure!(
        after.len() == before.len() && after[position - 1] == offered[1],
        "after choosing “{}” the round reads {after:?}",
        offered[1]
    );
    for (index, (old, new)) in before.iter().zip(&after).enumerate() {
        ensure!(
            index == position - 1 || old == new,
            "choosing an alternative changed item {}: “{old}” → “{new}”",
            index + 1
        );
    }
    Ok(())
}

/// On the draft of `spec`: a Round 01 question at the desktop width, then a
/// Round 02 prompt at 390 px, where the competency table and a framework's
/// level tabs must fit the width too; then the desktop width again for later
/// flows.
pub(crate) async fn alternatives_flow(client: &Client, app: &TestApp, spec: &str) -> Outcome {
    client
        .goto(&app.url(&format!("{spec}?version=draft")))
        .await
        .context("open the draft")?;
    wait_for(client, "ol.round1 > li.round-item").await?;
    choose_an_alternative(client, 1, 1).await?;

    client
        .set_window_size(390, 844)
        .await
        .context("narrow the window to 390 px")?;
    let narrow = async {
        client
            .goto(&app.url(&format!("{spec}?version=draft")))
            .await
            .context("open the draft at 390 px")?;
        wait_for(client, "ol.round2 > li.round-item").await?;
        ensure!(
            !scrolls_sideways(client).await?,
            "the draft scrolls sideways at 390 px"
        );
        // Every competency's weight is on screen, not past a scrolled table.
        ensure!(
            all_within_window(client, "table.competencies td.number").await?,
            "a competency's weight is off-screen at 390 px"
        );
        choose_an_alternative(client, 2, 1).await
    }
    .await;
    let tabs = async {
        client
            .goto(&app.url("/frameworks/engineering-frontend"))
            .await
            .context("open the Frontend framework at 390 px")?;
        wait_for(client, "a.level-tab").await?;
        ensure!(
            !scrolls_sideways(client).await?,
            "the framework page scrolls sideways at 390 px"
        );
        ensure!(
            all_within_window(client, "a.level-tab").await?,
            "a level tab is off-screen at 390 px"
        );
        Ok(())
    };
    let narrow = match narrow {
        Ok(()) => tabs.await,
        failed => failed,
    };
    client
        .set_window_size(1280, 900)
        .await
        .context("widen the window again")?;
    narrow?;
    // The flows after this one start on the spec.
    client
        .goto(&app.url(spec))
        .await
        .context("back to the spec")?;
    wait_for(client, "ol.round1 > li.round-item").await?;
    Ok(())
}

/// Whether every element matching `css` lies inside the window's width.
async fn all_within_window(client: &Client, css: &str) -> Result<bool, String> {
    let inside = client
        .execute(
            "const all = document.querySelectorAll(arguments[0]); \
             return all.length > 0 && Array.from(all).every(e => { \
               const r = e.getBoundingClientRect(); \
               return r.left >= 0 && r.right <= window.innerWidth + 1; });",
            vec![serde_json::Value::String(css.to_string())],
        )
        .await
        .context("measure elements")?;
    Ok(inside.as_bool().unwrap_or(false))
}
