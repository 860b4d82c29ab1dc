package org.treatmentledger.api.ui;

import org.treatmentledger.core.api.Site;

import java.util.List;

/**
 * The injection form's face map: where each site sits on the SVG face (viewBox 0 0 300 380, the patient facing the
 * clinician, so the patient's left is on the right). Each point is a labelled marker; its units are typed into the
 * site's field beside the map, which a keyboard reaches in order, and the script shows them on the marker.
 */
public final class FaceMap {

    public record Point(Site site, int x, int y, String label) {
        public String name() { return site.name(); }
    }

    static final List<Point> POINTS = List.of(
            new Point(Site.FOREHEAD, 150, 70, "Forehead"),
            new Point(Site.GLABELLA, 150, 118, "Glabella"),
            new Point(Site.LATERAL_BROW_RIGHT, 88, 112, "Lateral brow, right"),
            new Point(Site.LATERAL_BROW_LEFT, 212, 112, "Lateral brow, left"),
            new Point(Site.UPPER_EYELID, 150, 140, "Upper eyelid"),
            new Point(Site.CROWS_FEET_RIGHT, 62, 150, "Crow's feet, right"),
            new Point(Site.CROWS_FEET_LEFT, 238, 150, "Crow's feet, left"),
            new Point(Site.BUNNY_LINES, 150, 165, "Bunny lines"),
            new Point(Site.NOSE_TIP, 150, 200, "Nose tip"),
            new Point(Site.LIP_LINES, 150, 238, "Lip lines"),
            new Point(Site.DAO_RIGHT, 110, 262, "DAO, right"),
            new Point(Site.DAO_LEFT, 190, 262, "DAO, left"),
            new Point(Site.CHIN, 150, 290, "Chin"),
            new Point(Site.MASSETER_RIGHT, 70, 235, "Masseter, right"),
            new Point(Site.MASSETER_LEFT, 230, 235, "Masseter, left"),
            new Point(Site.PLATYSMA, 150, 345, "Platysma"),
            new Point(Site.TRAPEZIUS, 262, 360, "Trapezius"));

    private FaceMap() { }
}
