//! The flight of each rocket-powered type beside its published figures
//! ([`skyshield_validation::flights`]): a row for every type and every figure of the catalog,
//! each computed figure read from the flight at the figure's own range, and values that obey
//! the laws of a flight.

use skyshield_scenario::{FlightQuantity, catalog};
use skyshield_validation::flights;

#[test]
fn every_type_and_every_published_figure_has_its_flight() {
    let (longest, checks) = flights::all().unwrap();
    let types: Vec<_> = catalog()
        .threats()
        .filter(|e| e.class.is_rocket_powered())
        .collect();
    assert_eq!(
        longest.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
        types.iter().map(|e| e.id.as_str()).collect::<Vec<_>>()
    );
    for (f, e) in longest.iter().zip(&types) {
        let max_km = e.number_si("max_range_km").unwrap().nominal / 1e3;
        assert_eq!(f.range_km, max_km, "{}", f.id);
        // No flight covers its range faster than its fastest speed; none falls faster than
        // its fastest speed, nor lands faster than it flew 20 km up.
        assert!(
            f.flight_time_s > f.range_km * 1e3 / f.fastest_m_s,
            "{}: {} s over {} km at most {} m/s",
            f.id,
            f.flight_time_s,
            f.range_km,
            f.fastest_m_s
        );
        if let Some(v20) = f.terminal_m_s {
            assert!(v20 <= f.fastest_m_s && f.impact_m_s <= v20, "{f:?}");
            assert!(f.apogee_km > 20.0, "{f:?}");
        }
    }
    let figures: Vec<_> = types
        .iter()
        .flat_map(|e| e.flight_figures.iter().map(move |f| (e, f)))
        .collect();
    assert_eq!(checks.len(), figures.len());
    assert!(figures.len() >= 8, "{} published figures", figures.len());
    for (c, (e, f)) in checks.iter().zip(figures) {
        assert_eq!((c.flight.id.as_str(), &c.figure), (e.id.as_str(), f));
        assert_eq!(c.flight.range_km, f.range_km, "{}", e.id);
        assert_eq!(c.citations.len(), f.source.len());
        for (citation, key) in c.citations.iter().zip(&f.source) {
            assert_eq!(Some(citation), e.sources.get(key));
        }
        let value = match f.quantity {
            FlightQuantity::FlightTimeS => Some(c.flight.flight_time_s),
            FlightQuantity::ApogeeKm => Some(c.flight.apogee_km),
            FlightQuantity::FastestSpeedMS => Some(c.flight.fastest_m_s),
            FlightQuantity::SpeedAt20KmMS => c.flight.terminal_m_s,
        };
        assert_eq!(c.computed(), value, "{}", e.id);
        assert_eq!(
            c.within(),
            value.is_some_and(|v| f.low <= v && v <= f.high),
            "{}",
            e.id
        );
    }
}
