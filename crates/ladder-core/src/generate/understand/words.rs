//! Small closed word classes: what a word is tells the parser where clauses
//! start and end and whom a pronoun means. Every list is lower case.

/// The word stripped of surrounding punctuation and lower-cased: "Tests," →
/// "tests", "(SLOs)" → "slos", "team's" stays "team's".
pub(super) fn bare(word: &str) -> String {
    word.trim_matches(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '#' || c == '+'))
        .trim_end_matches('\'')
        .to_lowercase()
}

/// Whether `word` is one of the whitespace-separated words of `list`. The
/// lists are written as text so that they read as lists.
pub(super) fn listed(list: &str, word: &str) -> bool {
    list.split_whitespace().any(|entry| entry == word)
}

/// The "a/b" entries of a list: "be/were bear/bore" → ("be", "were"), ….
pub(super) fn pairs(list: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    list.split_whitespace()
        .filter_map(|entry| entry.split_once('/'))
}

/// Words that cannot end a clause or a noun phrase: it would be unfinished.
const DANGLING: &str = "
    a about across after against along among an and around as at because before between but by
    during for from if in including into its like my nor of on onto or our should such than
    that the their then through to toward towards under until upon via when where which while
    whilst who whose with within without your can will must would could is are be very also
    following
";

pub(super) fn is_dangling(word: &str) -> bool {
    listed(DANGLING, word)
}

/// Words that start a noun phrase or object and so follow a verb: after
/// "and", a noun-verb followed by one of these is a verb ("and reviews the
/// code"), not a list item ("and reviews").
const DETERMINERS: &str = "
    a all an any another both each every few her his how it its many more most multiple my new
    other others our several some that the their them themselves these this those what when
    where whether which why your yourself
";

pub(super) fn is_determiner(word: &str) -> bool {
    listed(DETERMINERS, word)
}

/// Prepositions and conjunctions: a behaviour cannot start with one, and the
/// word after "you" is not a verb when "you" follows one.
const PREPOSITIONS: &str = "
    about above across after against along among and around as at because before behind below
    beside between beyond but by despite during for from if in inside into near nor of off on
    onto or out over per since than through throughout to toward towards under unless until
    upon via when where whether while whilst with within without
";

pub(super) fn is_preposition(word: &str) -> bool {
    listed(PREPOSITIONS, word)
}

/// Clause openers after which a present tense moves into the past along
/// with the main verb ("when a teammate is blocked" → "was blocked").
const SUBORDINATORS: &str = "
    after as because before if once since so unless until when whenever where wherever while
    whilst
";

pub(super) fn is_subordinator(word: &str) -> bool {
    listed(SUBORDINATORS, word)
}

/// People and groups of people: a "their" or "they" after one of these
/// means them, not the candidate.
const PEOPLE: &str = "
    analyst analysts anyone candidate candidates client clients colleague colleagues
    contributor contributors customer customers designer designers developer developers
    engineer engineers everyone folks hire hires individual individuals intern interns junior
    juniors leader leaders manager managers member members mentee mentees newcomer newcomers
    others partner partners peer peers people person report reports someone stakeholder
    stakeholders teammate teammates user users
";

pub(super) fn is_person(word: &str) -> bool {
    listed(PEOPLE, word)
}

/// Subjects that take a plural verb in a "when …" clause: "when things go
/// wrong", "before they happen".
pub(super) const PLURAL_SUBJECTS: &str = "
    they you we things people others plans
";

/// Verbs whose subject is a thing, not a person: "before they happen" keeps
/// its "they".
const THING_VERBS: &str = "
    accumulate affect appear arise become break change degrade emerge escalate exist fail grow
    happen land matter occur pile recur regress ship slip surface
";

pub(super) fn is_thing_verb(word: &str) -> bool {
    listed(THING_VERBS, word)
}

/// Verbs only a person does: "when they find them" is the engineer even
/// after plural things were named.
const PERSON_VERBS: &str = "
    agree believe decide disagree feel find know learn need notice realise realize see think
    want own write join leave understand grasp remember forget ask listen
";

pub(super) fn is_person_verb(word: &str) -> bool {
    listed(PERSON_VERBS, word)
}

/// Nouns that name a field rather than a thing acted on: after a noun-verb
/// at the start they make a noun phrase ("code quality", "design patterns",
/// "test automation"), not an instruction.
const FIELD_NOUNS: &str = "
    automation basics best concepts coverage culture debt excellence fundamentals hygiene
    improvement lifecycle management patterns planning practices principles process processes
    quality review reviews skills smells standards strategy techniques time tooling velocity
";

pub(super) fn is_field_noun(word: &str) -> bool {
    listed(FIELD_NOUNS, word)
}

/// "-ing" words that are nouns in their own right at the start of a phrase.
const NOUN_GERUNDS: &str = "
    accounting computing engineering funding marketing meeting networking offering programming
    understanding
";

pub(super) fn is_noun_gerund(word: &str) -> bool {
    listed(NOUN_GERUNDS, word)
}

/// Adverbs without "-ly" that can stand before a verb and are worth keeping.
const ADVERBS: &str = "
    always often sometimes usually gladly
";

/// Adverbs that only point at context the behaviour does not give.
const EMPTY_ADVERBS: &str = "
    also then now still already further
";

/// Words ending in "-ly" that are not adverbs.
const NOT_ADVERBS: &str = "
    apply assembly ally comply costly daily early family friendly fly likely lonely monthly
    only quarterly rally rely reply supply tally timely weekly yearly multiply holy ugly
";

pub(super) fn is_adverb(word: &str) -> bool {
    listed(ADVERBS, word)
        || (word.len() > 4
            && word.ends_with("ly")
            && word.chars().all(|c| c.is_ascii_alphabetic())
            && !listed(NOT_ADVERBS, word))
}

pub(super) fn is_empty_adverb(word: &str) -> bool {
    listed(EMPTY_ADVERBS, word)
}

/// Words that make a behaviour a negative when it starts with them.
const NEGATIVES: &str = "
    never not no none nor neither cannot rarely seldom hardly struggles struggle struggling
    fails fail failing lacks lack lacking hesitates hesitate refrains refrain neglects neglect
    without
";

pub(super) fn is_negative(word: &str) -> bool {
    listed(NEGATIVES, word)
}

/// Auxiliaries and modals: a bare noun phrase has none.
const AUXILIARIES: &str = "
    is are was were be been can will should must does do did has have had would could may might
";

pub(super) fn is_auxiliary(word: &str) -> bool {
    listed(AUXILIARIES, word)
}

/// Names spelt with one capital that stay capitalised at the start of a
/// phrase (acronyms and names with inner capitals are recognised by shape).
const NAMES: &str = "
    agile airflow android angular ansible apple azure bash cassandra django docker
    elasticsearch elixir english envoy erlang figma flutter git go google grafana haskell helm
    java jenkins jira kafka kanban kotlin kubernetes linux looker microsoft nginx node postgres
    prometheus python rails react redis ruby rust scala scrum snowflake spark swift terraform
    unix vue windows
";

/// Whether a capitalised word must keep its capital at the start of a
/// phrase: an acronym ("AWS", "SQL"), a name with inner capitals or digits
/// ("PostgreSQL", "gRPC", "iOS", "S3"), a ".NET"-like name, or a known name.
pub(super) fn keeps_capital(word: &str) -> bool {
    let core = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    core.starts_with('.')
        || core
            .chars()
            .skip(1)
            .any(|c| c.is_uppercase() || c.is_ascii_digit())
        || listed(NAMES, bare(word).as_str())
}

/// Shorthand a careful interviewer would not read aloud, and no table can
/// repair with certainty.
const SHORTHAND: &str = "
    acct biz cust exec execs govt impl msg msgs perf prio prios req reqs txn txns wk wks yr yrs
    re pls thru
";

pub(super) fn is_shorthand(word: &str) -> bool {
    listed(SHORTHAND, word)
}
