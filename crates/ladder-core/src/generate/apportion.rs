//! How many items each competency gets.

use super::seeds::competency_key;
use crate::jobspec::Competency;

/// How many of `count` items each competency gets, in proportion to its
/// weight: every competency first gets the whole part of its exact quota
/// (`count × weight / total weight`), and the seats left over go to the
/// largest remainders, ties to the competency listed first. Sums to `count`
/// (for a non-empty list) and is listed in spec order. When every weight is
/// zero the competencies count equally.
pub fn apportion(competencies: &[Competency], count: usize) -> Vec<(String, usize)> {
    if competencies.is_empty() {
        return Vec::new();
    }
    let total: u128 = competencies.iter().map(|c| u128::from(c.weight.0)).sum();
    let (weights, denominator): (Vec<u128>, u128) = if total == 0 {
        (vec![1; competencies.len()], competencies.len() as u128)
    } else {
        (
            competencies
                .iter()
                .map(|c| u128::from(c.weight.0))
                .collect(),
            total,
        )
    };
    let seats_wanted = count as u128;
    let mut seats: Vec<usize> = Vec::with_capacity(competencies.len());
    let mut remainders: Vec<u128> = Vec::with_capacity(competencies.len());
    for weight in &weights {
        let quota = seats_wanted * weight;
        seats.push(usize::try_from(quota / denominator).unwrap_or(0));
        remainders.push(quota % denominator);
    }
    let left = count.saturating_sub(seats.iter().sum());
    let mut order: Vec<usize> = (0..competencies.len()).collect();
    order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]).then(a.cmp(&b)));
    for &index in order.iter().take(left) {
        seats[index] += 1;
    }
    competencies.iter().map(competency_key).zip(seats).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::fixtures::{competency, spec};

    fn seats(competencies: &[Competency], count: usize) -> Vec<usize> {
        apportion(competencies, count)
            .into_iter()
            .map(|(_, seats)| seats)
            .collect()
    }

    #[test]
    fn apportion_follows_weights_by_largest_remainder() {
        let spec = spec();
        let ids: Vec<String> = apportion(&spec.competencies, 3)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(
            ids,
            [
                "distributed_systems_rigor",
                "postgres_transactional_design",
                "domain_ownership_and_reliability",
                "payments_domain_expertise"
            ]
        );
        // 1 → quotas .35 .25 .25 .15: the largest remainder takes it.
        assert_eq!(seats(&spec.competencies, 1), [1, 0, 0, 0]);
        // 2 → .70 .50 .50 .30: the tie at .50 goes to the first listed.
        assert_eq!(seats(&spec.competencies, 2), [1, 1, 0, 0]);
        // 3 → 1.05 .75 .75 .45: floors 1,0,0,0, then the two .75s.
        assert_eq!(seats(&spec.competencies, 3), [1, 1, 1, 0]);
        // 4 → 1.4 1.0 1.0 .6: floors 1,1,1,0, then .6 beats .4.
        assert_eq!(seats(&spec.competencies, 4), [1, 1, 1, 1]);
        // 10 → 3.5 2.5 2.5 1.5: four equal remainders, first two win.
        assert_eq!(seats(&spec.competencies, 10), [4, 3, 2, 1]);
        assert_eq!(seats(&spec.competencies, 20), [7, 5, 5, 3]);
        for count in 0..=60 {
            let given = seats(&spec.competencies, count);
            assert_eq!(given.iter().sum::<usize>(), count, "{count}");
            // Never more than one seat away from the exact quota.
            for (seat, competency) in given.iter().zip(&spec.competencies) {
                let exact = count as u64 * u64::from(competency.weight.0);
                assert!(
                    (*seat as u64 * 10_000).abs_diff(exact) < 10_000,
                    "{count}: {seat} vs {exact}"
                );
            }
        }
        let zero = vec![
            competency("a", "A", 0, ""),
            competency("b", "B", 0, ""),
            competency("c", "C", 0, ""),
        ];
        assert_eq!(seats(&zero, 4), [2, 1, 1]);
        let with_zero = vec![
            competency("a", "A", 10_000, ""),
            competency("b", "B", 0, ""),
        ];
        assert_eq!(seats(&with_zero, 5), [5, 0]);
        assert!(apportion(&[], 5).is_empty());
    }
}
