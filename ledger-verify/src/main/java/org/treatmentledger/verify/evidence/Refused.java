package org.treatmentledger.verify.evidence;

/** A check that did not hold, carrying its verdict out of nested checks. */
public final class Refused extends Exception {

    private final transient Verdict verdict;

    public Refused(Verdict verdict) {
        super(verdict.sentence(), null, false, false);
        this.verdict = verdict;
    }

    public Verdict verdict() {
        return verdict;
    }
}
