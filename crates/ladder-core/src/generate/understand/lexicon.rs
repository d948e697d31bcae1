//! Verbs: which words are verbs, and their irregular and spelling-sensitive
//! forms. The lists are small on purpose: a word missing from them makes a
//! behaviour unusable or a topic, never wrong English.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use super::super::phrases::VERBS;
use super::words::{listed, pairs};

/// Base verbs beyond the generator's own [`VERBS`]: the vocabulary of
/// engineering frameworks (building, operating, leading, communicating).
const MORE_VERBS: &str = "
    accept access accompany achieve acknowledge adjust administer admit advance advise affect
    agree aim alert allocate allow amplify annotate announce appreciate approach approve
    archive argue arrange articulate assemble assign assist assume attend audit author avoid
    backfill become begin benchmark bootstrap brainstorm break bridge brief broaden budget
    bundle buy cache calibrate call capture care carry catch celebrate challenge chat check
    chime clean close code collect combine come comment commit compile comply compose conduct
    configure confirm consider consolidate consult contain control convert convey convince
    correct cover cultivate curate cut deal decompose decouple deepen defend defer demo
    demonstrate deprecate de-risk describe determine devise direct disagree discover discuss
    distil distill distribute draw edit educate elevate elicit embrace encrypt enforce engage
    enhance equip escalate estimate examine exceed execute expand expect experiment explore
    expose express extend extract face favour favor feed feel figure finish fit focus forecast
    foresee formalise formalize format formulate frame gather gauge generate go govern grant
    guarantee harden hear highlight host illustrate incorporate increase index inform ingest
    initiate innovate inspect install instil instill interpret interview introduce invest
    invite isolate iterate join judge justify label launch lay lend let leverage limit link
    listen localise localize log lose map master maximise maximize mean mediate meet merge
    minimise minimize mitigate moderate modernise modernize modify motivate need normalise
    normalize nurture observe obtain occupy offer onboard open orchestrate outline oversee
    partition participate patch pay perform persist persuade pilot pin pinpoint point port
    practise practice predict prefer prepare present preserve probe process produce program
    progress project prove provision publish pull pursue put quantify query question ramp reach
    react rebuild recognise recognize recommend redesign refer reflect reframe reinforce relay
    rely remediate render repair replace replicate report represent request require research
    reset respect restore restructure retain retire reuse revise revisit reward roll rotate
    route save scan schedule scope script search seek see select sell send serve shadow shard
    show shut sign simulate sketch skim socialise socialize solicit sort speak spend spin
    sponsor stabilise stabilize stand stay step stop store strengthen stretch strive structure
    study submit succeed summarise summarize supervise surface synthesise synthesize tackle
    tailor talk target tear think throttle tidy tie trace trade train transfer trust try
    uncover undertake unify unlock unpack untangle upskill value vet visualise visualize voice
    wait walk watch weigh welcome win withdraw wrap wrangle echo encourage engineer say stream
    drop touch happen emerge arise occur recur matter exist appear degrade accumulate shift
    back
";

/// Whether `word` (lower case) is a base verb either list knows.
pub(super) fn is_verb(word: &str) -> bool {
    // Asked for nearly every word of every behaviour, so looked up in a set
    // built once rather than by scanning the lists.
    static ALL: OnceLock<BTreeSet<&'static str>> = OnceLock::new();
    ALL.get_or_init(|| {
        VERBS
            .iter()
            .copied()
            .chain(MORE_VERBS.split_whitespace())
            .collect()
    })
    .contains(word)
}

/// Verbs that are just as often nouns in this domain ("tests", "reviews",
/// "designs"): after "and" they start a new clause only when what follows
/// looks like that clause's object, not like the next item of a list.
const NOUN_VERBS: &str = "
    alert answer benchmark branch budget bug build cache call change check code comment
    contract control cost deal demo deploy design document draft email estimate experiment
    feature fix flag format index interface issue label lead limit log map measure merge
    message model need note outline package page pair partner patch plan point practice process
    profile program progress project prototype query question record release report request
    resource result review risk route run schedule scope score script service set share shape
    sketch sort sponsor stage step store structure support table tag stream target test trace
    track trade update upgrade use value view work
";

pub(super) fn is_noun_verb(base: &str) -> bool {
    listed(NOUN_VERBS, base)
}

/// Verb + particle pairs that are one verb ("seek out", "follow up").
const PHRASAL: &str = "
    back/up boil/down break/down bring/in bring/up build/out call/out carry/out check/in
    chime/in clean/up cut/back dig/in double/down drill/down figure/out fill/in find/out
    flesh/out follow/through follow/up hand/off hand/over iron/out kick/off lay/out level/up
    loop/in map/out narrow/down own/up pay/down pay/off phase/out pick/up pitch/in point/out
    push/back ramp/up reach/out roll/back roll/out root/out rule/out scale/down scale/out
    scale/up seek/out set/up shore/up shut/down sign/off sketch/out smooth/out sort/out
    speak/out speak/up spell/out spin/up split/out stand/up step/back step/down step/in step/up
    sum/up take/on take/over take/up tear/down tease/out think/through track/down weed/out
    weigh/in wind/down wrap/up write/up zero/in
";

pub(super) fn is_particle_of(base: &str, word: &str) -> bool {
    pairs(PHRASAL).any(|pair| pair == (base, word))
}

/// Irregular simple pasts. "be" is "were": the subject is always "you".
const IRREGULAR_PAST: &str = "
    be/were bear/bore beat/beat become/became begin/began bend/bent bet/bet bind/bound
    bleed/bled blow/blew break/broke breed/bred bring/brought broadcast/broadcast build/built
    buy/bought cast/cast catch/caught choose/chose come/came cost/cost cut/cut deal/dealt
    dig/dug do/did draw/drew drive/drove eat/ate fall/fell feed/fed feel/felt fight/fought
    find/found fit/fit fly/flew forecast/forecast foresee/foresaw forget/forgot forgive/forgave
    freeze/froze get/got give/gave go/went grind/ground grow/grew hang/hung have/had hear/heard
    hide/hid hit/hit hold/held hurt/hurt keep/kept know/knew lay/laid lead/led leave/left
    lend/lent let/let light/lit lose/lost make/made mean/meant meet/met mislead/misled
    misread/misread misunderstand/misunderstood offset/offset outgrow/outgrew overcome/overcame
    override/overrode overrun/overran oversee/oversaw overtake/overtook pay/paid put/put
    quit/quit read/read rebuild/rebuilt redo/redid remake/remade rerun/reran reset/reset
    rethink/rethought retell/retold rewrite/rewrote ride/rode ring/rang rise/rose run/ran
    say/said see/saw seek/sought sell/sold send/sent set/set shake/shook shed/shed shoot/shot
    shrink/shrank shut/shut sing/sang sink/sank sit/sat sleep/slept slide/slid speak/spoke
    speed/sped spend/spent spin/spun split/split spread/spread stand/stood steal/stole
    stick/stuck strike/struck strive/strove sweep/swept swim/swam swing/swung take/took
    teach/taught tear/tore tell/told think/thought throw/threw undergo/underwent
    understand/understood undertake/undertook undo/undid uphold/upheld upset/upset wake/woke
    wear/wore win/won wind/wound withdraw/withdrew withhold/withheld withstand/withstood
    write/wrote
";

/// Past participles that differ from the simple past.
const IRREGULAR_PARTICIPLE: &str = "
    be/been bear/borne become/become begin/begun break/broken choose/chosen come/come do/done
    draw/drawn drive/driven eat/eaten fall/fallen fly/flown foresee/foreseen forget/forgotten
    forgive/forgiven freeze/frozen give/given go/gone grow/grown hide/hidden know/known
    overcome/overcome override/overridden oversee/overseen overtake/overtaken redo/redone
    rerun/rerun rewrite/rewritten ride/ridden rise/risen run/run see/seen shake/shaken
    show/shown shrink/shrunk sing/sung sink/sunk speak/spoken steal/stolen strive/striven
    swim/swum take/taken tear/torn throw/thrown undergo/undergone undertake/undertaken
    undo/undone wake/woken wear/worn withdraw/withdrawn write/written
";

/// The base of an irregular past participle: "written" → "write", "led" →
/// "lead" (most irregular participles are the simple past).
pub(super) fn irregular_participle_base(word: &str) -> Option<&'static str> {
    if let Some((base, _)) = pairs(IRREGULAR_PARTICIPLE).find(|(_, p)| *p == word) {
        return Some(base);
    }
    pairs(IRREGULAR_PAST)
        .find(|(base, past)| {
            *past == word && !pairs(IRREGULAR_PARTICIPLE).any(|(other, _)| other == *base)
        })
        .map(|(base, _)| base)
}

pub(super) fn irregular_past(base: &str) -> Option<&'static str> {
    pairs(IRREGULAR_PAST)
        .find(|(verb, _)| *verb == base)
        .map(|(_, past)| past)
}

/// Short verbs, and verbs stressed on the last syllable, whose final
/// consonant doubles before "-ing" and "-ed" ("plan" → "planning"). Only
/// listed verbs double: "audit" → "auditing", "scope" → "scoping". Verbs in
/// "-el" follow British spelling ("modelling"), as the rest of Ladder does.
const DOUBLING: &str = "
    admit bar cancel channel counsel fuel label level model signal travel beg begin bet blur
    bootstrap chat chop clip commit compel concur confer control crop cut debug defer deter dig
    dim dip distil drag drop embed emit enrol equip flag flip forget format fulfil get grab
    grip hit hop hug incur infer instil jam jog jot knit lag let log map mop nag occur omit
    outrun overlap overrun pad pat patrol permit pin plan plot plug pop prefer program prop
    propel put quit recap recur refer regret remap rerun resubmit rid rig rip rob rub run scan
    scrub set shed ship shop shrug shut sidestep sip sit skim skip slim slip snap span spin
    spit split spot star step stir stop strip submit sum swap swim tag tap tip top transfer
    trim trip unplug unwrap upset vet whip win wrap zip
";

pub(super) fn doubles(base: &str) -> bool {
    listed(DOUBLING, base)
}
