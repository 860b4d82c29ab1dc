package org.treatmentledger.api.patient;

import org.treatmentledger.api.http.InvalidBodyException;
import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.DurabilityDimension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.treatmentledger.core.api.DurabilityDimension.*;

/** groupBy takes the response's field names (as docs/http-api.md's example does) or the enum names. */
class DurabilityGroupByTest {

    @Test
    void fieldNamesAndEnumNamesBothWork() {
        assertThat(ReadController.dimensions("product,site,doseBand,intent,laserCoTreatment"))
                .containsExactly(PRODUCT, SITE, DOSE_BAND, INTENT, LASER_CO_TREATMENT);
        assertThat(ReadController.dimensions("DOSE_BAND, laser-co-treatment,product,product"))
                .containsExactly(DOSE_BAND, LASER_CO_TREATMENT, PRODUCT);
        assertThat(ReadController.dimensions("")).isEqualTo(List.<DurabilityDimension>of());
    }

    @Test
    void unknownDimensionIsRefused() {
        assertThatThrownBy(() -> ReadController.dimensions("product,colour")).isInstanceOf(InvalidBodyException.class);
    }
}
