package org.treatmentledger.api.commands;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.core.rules.RuleCode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ledger.policy.*} as Spring binds it onto the named defaults: one key overrides one value (maps merge key
 * by key, nested ones too), names bind relaxed (kebab-case, camelCase, environment variables), and a key the policy
 * does not have, or a value it cannot take, fails the start. No database: about a second.
 */
class ClinicPolicyConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties
    @Import(ClinicPolicyConfiguration.class)
    static class PolicyOnly { }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(PolicyOnly.class);

    @Test
    void without_properties_the_policy_is_the_documented_defaults() {
        runner.run(context -> assertThat(context.getBean(ClinicPolicy.class)).isEqualTo(ClinicPolicy.defaults()));
    }

    @Test
    void one_key_overrides_one_value_and_keeps_the_others() {
        runner.withPropertyValues(
                        "ledger.policy.zone=Europe/Berlin",
                        "ledger.policy.minimum-days.LASER_AFTER_TOXIN_LIGHT=14",
                        "ledger.policy.touchUpWindowCloseDays=35",
                        "ledger.policy.future-skew=2m",
                        "ledger.policy.dose-caps.ABOBOTULINUMTOXIN_A=1000",
                        "ledger.policy.typical-doses.ONABOTULINUMTOXIN_A.FOREHEAD.max=24",
                        "ledger.policy.laser-maintenance-months.to=18")
                .run(context -> {
                    ClinicPolicy policy = context.getBean(ClinicPolicy.class);
                    ClinicPolicy defaults = ClinicPolicy.defaults();
                    assertThat(policy.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
                    assertThat(policy.minimumDays(RuleCode.LASER_AFTER_TOXIN_LIGHT)).isEqualTo(14);
                    assertThat(policy.minimumDays(RuleCode.LASER_AFTER_TOUCH_UP)).isEqualTo(3);
                    assertThat(policy.minimumDays()).hasSameSizeAs(defaults.minimumDays());
                    assertThat(policy.touchUpWindowCloseDays()).isEqualTo(35);
                    assertThat(policy.futureSkew()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(policy.doseCaps()).isEqualTo(Map.of(Product.ONABOTULINUMTOXIN_A, BigDecimal.valueOf(400),
                            Product.ABOBOTULINUMTOXIN_A, BigDecimal.valueOf(1000)));
                    Map<Site, ClinicPolicy.DoseRange> ona = policy.typicalDoses().get(Product.ONABOTULINUMTOXIN_A);
                    assertThat(ona.get(Site.FOREHEAD)).isEqualTo(new ClinicPolicy.DoseRange(BigDecimal.valueOf(8), BigDecimal.valueOf(24)));
                    assertThat(ona.get(Site.GLABELLA)).isEqualTo(ClinicPolicy.DoseRange.of(10, 20));
                    assertThat(policy.laserMaintenanceMonths()).isEqualTo(new ClinicPolicy.MonthRange(6, 18));
                    assertThat(policy.doseCapWindowDays()).isEqualTo(defaults.doseCapWindowDays());
                });
    }

    @Test
    void the_environment_variable_of_the_deploy_files_binds() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("LEDGER_POLICY_MINIMUMDAYS_LASER_AFTER_TOXIN_LIGHT", "12"))))
                .run(context -> assertThat(context.getBean(ClinicPolicy.class)
                        .minimumDays(RuleCode.LASER_AFTER_TOXIN_LIGHT)).isEqualTo(12));
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("LEDGER_POLICY_ZONE", "Europe/Berlin"))))
                .run(context -> assertThat(context.getBean(ClinicPolicy.class).zone()).isEqualTo(ZoneId.of("Europe/Berlin")));
    }

    @Test
    void an_unknown_key_or_a_bad_value_fails_the_start() {
        runner.withPropertyValues("ledger.policy.touch-up-window-clos-days=35")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("ledger.policy.minimum-days.LASER_AFTER_NOTHING=3")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("ledger.policy.zone=Mars/Olympus")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("ledger.policy.typical-doses.ONABOTULINUMTOXIN_A.CHIN.max=4")
                .run(context -> assertThat(context).hasFailed());
    }
}
